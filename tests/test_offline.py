"""The server never reaches the internet: Streamlit's start-up banner must not look up the external address."""
import subprocess
import sys
import textwrap

from tests.conftest import ROOT

# Streamlit's own start-up code, with the project's .streamlit/config.toml and the address the deployment guide
# gives (0.0.0.0, for the office network); any HTTP request Streamlit makes is recorded instead of sent.
PROBE = textwrap.dedent("""
    import json, sys
    from streamlit import config, net_util
    from streamlit.web import bootstrap
    calls = []
    net_util._make_blocking_http_get = lambda url, timeout=5: calls.append(url)
    config.get_config_options(force_reparse=True)
    for key, value in (("server.address", sys.argv[1]), ("server.headless", True)):
        config._set_option(key, value, "command-line")
    bootstrap._print_url(False)
    print(json.dumps(calls))
""")


def _requests(address: str) -> str:
    done = subprocess.run([sys.executable, "-c", PROBE, address], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, check=True)
    return done.stdout.strip().splitlines()[-1]


def test_starting_the_server_asks_the_internet_for_nothing():
    assert _requests("0.0.0.0") == "[]"
    assert _requests("127.0.0.1") == "[]"


def test_the_probe_would_see_the_lookup_without_the_setting(tmp_path):
    # the same probe, run where there is no config.toml: Streamlit then does ask checkip.amazonaws.com
    done = subprocess.run([sys.executable, "-c", PROBE, "0.0.0.0"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, check=True)
    assert "checkip" in done.stdout.strip().splitlines()[-1]
