"""Catalogue section: common."""

ZH_CN: dict[str, str] = {
    "common.form_invalid": "有{count}处信息需要修改,请查看标红的输入项",
}

EN: dict[str, str] = {
    "common.form_invalid": "{count} fields need attention; see the messages next to them",
}
