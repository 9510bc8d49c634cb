"""版权查询: the registration forms this account (or its institution) has filed."""

import streamlit as st

from core import filing
from ui.chrome import require_user
from ui.i18n import t, when

principal = require_user()
st.title(t("nav.query"))
forms = filing.forms(principal.account_id)
if not forms:
    st.info(t("query.empty"))
else:
    st.dataframe(
        [{
            t("query.col.id"): f"#{f.id}",
            t("query.col.kind"): t(f"filing.business.{f.kind}"),
            t("query.col.name"): f.data.get("software_name", ""),
            t("query.col.version"): f.data.get("version", ""),
            t("query.col.status"): t(f"query.status.{f.status}"),
            t("query.col.submitted"): when(f.submitted_at),
        } for f in forms],
        hide_index=True, width="stretch",
    )
