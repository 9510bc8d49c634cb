"""Catalogue section: accounts."""

ZH_CN: dict[str, str] = {
}

EN: dict[str, str] = {
}
