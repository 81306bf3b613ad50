"""Unbound Flask extensions; create_app binds them."""

from __future__ import annotations

from flask_babel import Babel
from flask_bootstrap import Bootstrap5
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from supplychain import rate_limit_storage  # noqa: F401 - registers the memory:// storage without a thread per hit

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
bootstrap = Bootstrap5()
