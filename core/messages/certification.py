"""Catalogue section: certification."""

ZH_CN: dict[str, str] = {
}

EN: dict[str, str] = {
}
