"""Addresses: the site's and the repository's, read from the environment at build time.

``mkdocs.yml`` reads ``site_url`` from ``INITNOTES_SITE_URL`` and ``extra.repository``
from ``INITNOTES_REPO_URL`` (MkDocs's ``!ENV``); the Pages workflow sets both from the
Pages address and the repository it runs in. This feature checks them (an address that
is set must be an ``http(s)://`` URL) and links the repository from the footer. A local
build without them has no address: its citations name the version and the build date
(`initnotes.cite`), and the footer links no repository.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

SITE_URL_VAR = "INITNOTES_SITE_URL"
REPO_URL_VAR = "INITNOTES_REPO_URL"


def checked_url(value: object, variable: str) -> str | None:
    """`value` (an address read from `variable`) if it is an http(s) URL with a host,
    None if it is unset or empty; ValueError naming the variable and the value otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    parts = urlsplit(str(value).strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{variable} must be an http:// or https:// address, got {value!r}")
    return str(value).strip()


class AddressesConfig(Config):
    #: The key under ``extra`` holding the repository's address.
    repository_key = opt.Type(str, default="repository")


class Addresses(BasePlugin[AddressesConfig]):
    def on_config(self, config: MkDocsConfig):
        try:
            site_url = checked_url(config.get("site_url"), SITE_URL_VAR)
            extra = config.get("extra") or {}
            repo = checked_url(extra.get(self.config.repository_key), REPO_URL_VAR)
        except ValueError as err:
            raise PluginError(f"initnotes: {err}") from None
        if site_url is not None and not site_url.endswith("/"):
            site_url += "/"
        config["site_url"] = site_url
        if self.config.repository_key in extra:
            extra[self.config.repository_key] = repo
        if repo is not None:
            link = f'<a href="{html.escape(repo, quote=True)}">source repository</a>'
            config["copyright"] = f"{(config.get('copyright') or '').rstrip()} &middot; {link}"
        return config
