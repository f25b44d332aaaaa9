"""editor_gate is reusable: any page, any container, one unlock per browser session."""

from streamlit.testing.v1 import AppTest

from indicators import auth, settings


def gated_app():
    import streamlit as st

    from indicators.ui.editor import editor_gate

    if editor_gate(st.sidebar, key="refresh_gate"):
        st.button("Refresh rates", key="refresh")
    else:
        st.write("locked")


def test_gate_in_the_sidebar_unlocks_the_button_for_the_session(monkeypatch):
    monkeypatch.setenv(settings.EDITOR_TOKEN.name, "tok-1")
    monkeypatch.setattr(auth, "GUARD", auth.Guard())
    at = AppTest.from_function(gated_app)
    at.run()
    assert [m.value for m in at.markdown if m.value == "locked"]
    assert not [b for b in at.button if b.label == "Refresh rates"]
    at.sidebar.text_input(key="refresh_gate_token").set_value("tok-1")
    next(b for b in at.sidebar.button if b.label == "Unlock editing").click()
    at.run()
    assert [b for b in at.button if b.label == "Refresh rates"]
    at.run()  # stays unlocked on later runs of the same session
    assert [b for b in at.button if b.label == "Refresh rates"]
    assert dict(at.query_params) == {}


def test_gate_without_a_configured_token_uses_the_console_token(monkeypatch, capsys):
    monkeypatch.delenv(settings.EDITOR_TOKEN.name, raising=False)
    monkeypatch.setattr(auth, "_generated", None)
    monkeypatch.setattr(auth, "GUARD", auth.Guard())
    at = AppTest.from_function(gated_app)
    at.run()
    token = auth.editor_token()
    assert token in capsys.readouterr().err
    at.sidebar.text_input(key="refresh_gate_token").set_value(token)
    next(b for b in at.sidebar.button if b.label == "Unlock editing").click()
    at.run()
    assert [b for b in at.button if b.label == "Refresh rates"]
