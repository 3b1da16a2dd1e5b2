"""Parts of the self-hosted web service (``python -m skill.webservice``).

Nothing here is imported by ``skill`` itself: these modules pull in Flask, the webservice
support SDK and certvalidator, and only ``skill.webservice`` imports them.

- ``oscrypto_fix``: lets certvalidator load on OpenSSL 3.0.10 and later; installed here, so
  before any module of this package can import certvalidator;
- ``config``: host, port, verification and limits, from flags and the environment;
- ``verify``: Alexa's request checks (signature, timestamp, skill id);
- ``certcache``: validated signing certificates by chain URL, until they expire;
- ``adapter``: the Flask-Ask-SDK ``SkillAdapter`` that answers every refusal with a 4xx.
"""

from . import oscrypto_fix

oscrypto_fix.install()
