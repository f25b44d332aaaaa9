"""ISO 4217 currency codes: the current list plus historic codes that appear in our sources."""

from __future__ import annotations

CURRENT = frozenset({
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUC", "CUP",
    "CVE", "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP",
    "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS",
    "INR", "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW",
    "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD",
    "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN",
    "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR",
    "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SLL",
    "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY",
    "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES",
    "VND", "VUV", "WST", "XAF", "XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XCD", "XCG", "XDR",
    "XOF", "XPD", "XPF", "XPT", "XSU", "XTS", "XUA", "XXX", "YER", "ZAR", "ZMW", "ZWG", "ZWL",
})

# Withdrawn codes that still occur in historical series: the old Turkmen manat
# (5000 TMM = 1 TMT, 2009) and the Tajik rouble (1000 TJR = 1 TJS, 2000).
HISTORIC = frozenset({"TMM", "TJR", "RUR", "BYR", "VEF", "ZMK", "MRO", "STD", "LTL", "LVL"})

ALL = CURRENT | HISTORIC

CENTRAL_ASIA = ("KZT", "KGS", "TJS", "UZS", "TMT")
NAMES = {
    "KZT": "Kazakhstani tenge",
    "KGS": "Kyrgyz som",
    "TJS": "Tajikistani somoni",
    "UZS": "Uzbekistani sum",
    "TMT": "Turkmenistan manat",
    "TMM": "Turkmenistan manat (old, before 2009)",
    "TJR": "Tajik rouble (before the somoni, 2000)",
    "USD": "US dollar",
}
# Redenominations: (old code, new code, old units per new unit).
REDENOMINATIONS = {"TMM": ("TMT", 5000.0), "TJR": ("TJS", 1000.0)}


def is_valid(code: str) -> bool:
    return code in ALL
