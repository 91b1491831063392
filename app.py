"""The compare dashboard: pick two reports, read the comparison, review it pair by pair, export.

Run with `make run` (or `streamlit run app.py`). The page lives in the `dashboard` package.
"""

if __name__ == "__main__":  # Streamlit runs this file as __main__; a worker process importing it does not
    from compare.facts.process import start_facts_process

    # spaCy's load in the facts process is the first render's longest wait: start it before
    # numpy and the page's own imports (a no-op on later runs, while the process is up)
    start_facts_process()
    from dashboard import run

    run()
