"""Catalogue section: common."""

ZH_CN: dict[str, str] = {
}

EN: dict[str, str] = {
}
