"""The compare dashboard: pick two reports, read the comparison, review it pair by pair, export.

Run with `make run` (or `streamlit run app.py`). The page lives in the `dashboard` package.
"""

from dashboard import run

if __name__ == "__main__":  # Streamlit runs this file as __main__; a worker process importing it does not
    run()
