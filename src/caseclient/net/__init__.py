"""The network layer: one requests.Session per document service, built from the settings.

TLS verification always on (OS trust store + optional extra CA bundle), proxies, timeouts, and the
sign-in modes: token, basic, OAuth2 client credentials, OAuth2 authorisation code with PKCE in the
browser, Kerberos/Negotiate, client certificates (PEM or PKCS#12). Qt-free.
"""

from .auth import BearerAuth, ClientCredentialsAuth, NegotiateAuth, NegotiateContext, TokenEndpoint
from .browser_signin import AuthorizationCodeAuth, sign_in_with_browser
from .session import MissingSecret, TrustedAdapter, build_session, plain_session
from .tls import CertificateError, make_ssl_context

__all__ = [
    "AuthorizationCodeAuth", "BearerAuth", "CertificateError", "ClientCredentialsAuth", "MissingSecret",
    "NegotiateAuth", "NegotiateContext", "TokenEndpoint", "TrustedAdapter", "build_session",
    "make_ssl_context", "plain_session", "sign_in_with_browser",
]
