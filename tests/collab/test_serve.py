"""collab.serve: both servers get the protocol's limits (the e2e tests run them for real)."""

from __future__ import annotations

from typing import Any

import pytest
import uvicorn

from collab import serve


def test_uvicorn_gets_the_64_kib_limit_no_compression_and_optional_proxy_headers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append(options))

    serve.main(["--server", "uvicorn", "--port", "8123"])
    serve.main(["--server", "uvicorn", "--port", "8124", "--proxy-headers"])

    plain, proxied = calls
    assert plain["port"] == 8123 and plain["ws_max_size"] == 65_536
    assert plain["ws_per_message_deflate"] is False and plain["proxy_headers"] is False
    assert proxied["proxy_headers"] is True and proxied["forwarded_allow_ips"] == "127.0.0.1"


def test_uvicorn_refuses_daphne_only_options() -> None:
    with pytest.raises(SystemExit, match="--verbosity"):
        serve.main(["--server", "uvicorn", "--verbosity", "2"])


def test_daphne_gets_the_64_kib_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from daphne import cli

    argv: list[list[str]] = []
    monkeypatch.setattr(cli.CommandLineInterface, "run", lambda self, args: argv.append(args))

    serve.main(["--port", "8125", "--proxy-headers"])

    (args,) = argv
    assert args[args.index("--websocket-max-message-size") + 1] == "65536"
    assert "--proxy-headers" in args and args[-1] == "collab.asgi:application"
