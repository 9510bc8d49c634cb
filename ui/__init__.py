"""Streamlit-only helpers shared by the pages: i18n, auth guard, forms, navigation."""
