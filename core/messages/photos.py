"""Catalogue section: photos."""

ZH_CN: dict[str, str] = {
}

EN: dict[str, str] = {
}
