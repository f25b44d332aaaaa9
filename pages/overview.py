"""Overview: headline rates and Middle Corridor figures, each with its source and date."""

import streamlit as st

from indicators import charts, formatting, iso4217
from indicators.ui import common

st.title("Central Asia connectivity indicators")
st.caption("Exchange rates of the five Central Asian currencies against the US dollar, and "
           "Middle Corridor (Trans-Caspian International Transport Route) freight figures. "
           "Every number links to its source.")

latest = common.read("latest_rates")
st.subheader("Exchange rates, units per US dollar")
cols = st.columns(len(iso4217.CENTRAL_ASIA))
for col, cur in zip(cols, iso4217.CENTRAL_ASIA, strict=True):
    row = latest[latest["currency"] == cur]
    with col:
        if row.empty:
            st.metric(cur, "no data")
            continue
        r = row.iloc[0]
        delta = None
        if r["previous"] == r["previous"] and r["previous"]:
            delta = f"{(r['per_usd'] / r['previous'] - 1) * 100:+.2f}%"
        st.metric(f"{cur} per USD", formatting.number(r["per_usd"]), delta=delta,
                  delta_color="off")
        st.caption(f"As of {r['date']:%Y-%m-%d} · {r['source_title']}")

series = common.read("rate_series", currencies=["KZT"], start="2015-01-01")
st.plotly_chart(charts.rates_lines(series), key="overview_kzt")
common.source_caption(series["source_title"].tolist() if not series.empty else [])

st.subheader("Middle Corridor")
figs = common.read("figures", indicators=["container_trains"])
st.plotly_chart(charts.figures_bars(figs, unit="trains"), key="overview_trains")
common.source_caption(figs["source_title"].tolist() if not figs.empty else [])
