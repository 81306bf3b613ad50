"""Connection settings that keep outages short (issue 14): Redis timeouts for the rate limiter and the job queue.

The database's connect and statement timeouts are set where the engine is made (supplychain.db).
"""

from __future__ import annotations

from collections.abc import Mapping


def redis_options(config: Mapping) -> dict:
    """Keyword arguments for redis.Redis.from_url: REDIS_CONNECT_TIMEOUT and REDIS_SOCKET_TIMEOUT (seconds)."""
    return {
        "socket_connect_timeout": float(config.get("REDIS_CONNECT_TIMEOUT") or 2),
        "socket_timeout": float(config.get("REDIS_SOCKET_TIMEOUT") or 2),
    }
