"""The floor for the page benchmark: a bare page rendering one static Plotly chart of 1,000
points, and nothing else."""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

x = np.arange(1000)
st.plotly_chart(go.Figure(go.Scatter(x=x, y=np.sin(x / 50.0))))
