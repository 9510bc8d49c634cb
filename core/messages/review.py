"""Catalogue section: review."""

ZH_CN: dict[str, str] = {
}

EN: dict[str, str] = {
}
