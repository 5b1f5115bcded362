"""Glossary page: every technical term the app uses, in a sentence or two
(`omnistaff.ui.glossary`), with a filter."""

from __future__ import annotations

import streamlit as st

from omnistaff.ui.glossary import sorted_terms

st.title("Glossary")
st.caption("The terms the pages, tables and reports use. Help tooltips (ⓘ) next to a figure "
           "quote the same entries.")
wanted = st.columns([2, 3])[0].text_input("Find a term", placeholder="e.g. gap, resolved",
                                          key="glossary_filter").strip().lower()
found = [(term, text) for term, text in sorted_terms()
         if wanted in term.lower() or wanted in text.lower()]
if not found:
    st.info(f"No entry mentions “{wanted}”.", icon=":material/info:")
half = (len(found) + 1) // 2
for column, part in zip(st.columns(2, gap="large"), (found[:half], found[half:]), strict=True):
    column.markdown("\n\n".join(f"**{term}**: {text}" for term, text in part))
