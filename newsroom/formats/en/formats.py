"""
Date formats of the whole site, admin included, in the style named by settings.DATE_STYLE.

Django reads this module (FORMAT_MODULE_PATH) before its own English formats, so
``{{ value|date:"DATE_FORMAT" }}`` and the admin's lists and read-only fields all
follow one style. Input formats are Django's: ISO dates are accepted everywhere.
"""

from django.conf import settings

STYLES = {
    # 2 December 2026, 14:05
    "british": {
        "DATE_FORMAT": "j F Y",
        "DATETIME_FORMAT": "j F Y, H:i",
        "SHORT_DATE_FORMAT": "j M Y",
        "SHORT_DATETIME_FORMAT": "j M Y, H:i",
        "MONTH_DAY_FORMAT": "j F",
        "TIME_FORMAT": "H:i",
    },
    # December 2, 2026, 2:05 p.m.
    "american": {
        "DATE_FORMAT": "F j, Y",
        "DATETIME_FORMAT": "F j, Y, P",
        "SHORT_DATE_FORMAT": "M j, Y",
        "SHORT_DATETIME_FORMAT": "M j, Y, P",
        "MONTH_DAY_FORMAT": "F j",
        "TIME_FORMAT": "P",
    },
    # 2026-12-02 14:05
    "iso": {
        "DATE_FORMAT": "Y-m-d",
        "DATETIME_FORMAT": "Y-m-d H:i",
        "SHORT_DATE_FORMAT": "Y-m-d",
        "SHORT_DATETIME_FORMAT": "Y-m-d H:i",
        "MONTH_DAY_FORMAT": "m-d",
        "TIME_FORMAT": "H:i",
    },
}

_style = STYLES[settings.DATE_STYLE]
DATE_FORMAT = _style["DATE_FORMAT"]
DATETIME_FORMAT = _style["DATETIME_FORMAT"]
SHORT_DATE_FORMAT = _style["SHORT_DATE_FORMAT"]
SHORT_DATETIME_FORMAT = _style["SHORT_DATETIME_FORMAT"]
MONTH_DAY_FORMAT = _style["MONTH_DAY_FORMAT"]
TIME_FORMAT = _style["TIME_FORMAT"]
FIRST_DAY_OF_WEEK = 1 if settings.DATE_STYLE != "american" else 0
