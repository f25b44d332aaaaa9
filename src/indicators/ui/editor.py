"""The editor gate: a token form that unlocks writes for one browser session.

    from indicators.ui.editor import editor_gate
    if editor_gate():
        st.button("Refresh rates")   # only editors get here

The token is typed into a password field inside a form (never a URL or query
parameter), checked in constant time, and wrong guesses are slowed down per browser
session and per address (see indicators.auth).
"""

from __future__ import annotations

import math
import uuid

import streamlit as st

from indicators import auth, settings

_EDITOR = "_indicators_editor"
_SESSION = "_indicators_session"


def is_editor() -> bool:
    """True when this browser session has unlocked editing."""
    return bool(st.session_state.get(_EDITOR))


def _session_id() -> str:
    if _SESSION not in st.session_state:
        st.session_state[_SESSION] = uuid.uuid4().hex
    return st.session_state[_SESSION]


def how_to_get_access() -> str:
    if auth.token_source() == "environment":
        where = ("The person who runs this dashboard set it in the environment variable "
                 f"`{settings.EDITOR_TOKEN.name}`; ask them for it.")
    else:
        where = ("If you started this dashboard yourself, the token was printed in the "
                 "terminal where it runs (look for “Editor token”); it changes at every "
                 f"restart unless `{settings.EDITOR_TOKEN.name}` is set. Otherwise ask the "
                 "person who runs it.")
    return "Changing data needs the editor token. " + where


def lock() -> None:
    """Give up editing rights in this session."""
    st.session_state[_EDITOR] = False


def editor_gate(container=None, *, key: str = "editor_gate") -> bool:
    """Render the token form unless this session is an editor; True when it is one.

    `container` is where the form goes (default: the main area); `key` keeps two gates
    on one page apart.
    """
    if is_editor():
        return True
    token = auth.editor_token()  # makes and announces the console token on first use
    target = container if container is not None else st.container()
    with target.form(key=key, clear_on_submit=True, border=True):
        st.markdown("**Editor access**")
        st.caption(how_to_get_access())
        guess = st.text_input("Editor token", type="password", key=f"{key}_token",
                              autocomplete="off")
        submitted = st.form_submit_button("Unlock editing")
    if not submitted:
        return False
    attempt = auth.GUARD.attempt(_session_id(), guess or "", token,
                                 address=st.context.ip_address)
    if attempt.ok:
        st.session_state[_EDITOR] = True
        st.rerun()
    if attempt.refused:
        target.error(f"Too many wrong tokens: wait {math.ceil(attempt.wait)} s before trying "
                     "again. That guess was not checked.")
    elif attempt.wait:
        target.error(f"Wrong token. The next try is possible in {math.ceil(attempt.wait)} s.")
    else:
        target.error("Wrong token.")
    return False
