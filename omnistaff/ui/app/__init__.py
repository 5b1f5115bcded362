"""The omnistaff Streamlit app: pages that turn widgets into scenarios and results into
pictures. Start it with `omnistaff ui`; the entry script is `main.py`."""
