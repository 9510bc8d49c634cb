"""加水印: stamp “仅供办理中国版权保护中心各项申请使用” on a photo, checked, ready to download."""

import streamlit as st

from core import stamping
from ui.forms import attempt
from ui.i18n import t

st.title(t("photo.stamp.title"))
st.caption(t("photo.stamp.intro"))
upload = st.file_uploader(t("photo.stamp.upload"), type=["jpg", "jpeg", "png"], key="stamp_upload")
c1, c2 = st.columns(2)
color = c1.segmented_control(t("photo.stamp.color"), stamping.COLORS, default="grey", key="stamp_color",
                             format_func=lambda c: t(f"photo.stamp.color.{c}")) or "grey"
opacity = c2.slider(t("photo.stamp.opacity"), *stamping.OPACITY_RANGE, value=0.4, step=0.05, key="stamp_opacity")

if upload is not None:
    with st.spinner(t("photo.stamp.working")):
        result = attempt(lambda: stamping.stamp_upload(upload.getvalue(), color=color, opacity=opacity))
    if result is not None:
        if result.verdict == "exact":
            st.success(t("photo.stamp.done"), icon=":material/verified:")
        else:
            st.warning(t("photo.stamp.unconfirmed"), icon=":material/help:")
        st.image(result.data, caption=t("photo.stamp.preview"), width="stretch")
        stem = upload.name.rsplit(".", 1)[0]
        st.download_button(t("photo.stamp.download"), result.data, file_name=f"{stem}_水印.{result.extension}",
                           mime=result.mime, type="primary", icon=":material/download:")
