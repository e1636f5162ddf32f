#!/usr/bin/env bash
# The whole test suite. Uses PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) when they answer —
# starting them first if they are installed but stopped — and the embedded default otherwise, where the
# service-only tests are skipped with the reason. JIANFU_REQUIRE_SERVICES=1 makes a missing service a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
say() { printf '[make test] %s\n' "$*"; }

# Debian packages the tests need (fonts for Chinese PDFs, Chromium for the browser journeys, poppler for PDF
# checks, zbar to decode the QR codes printed on them).
need=()
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || need+=(fonts-noto-cjk)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v zbarimg >/dev/null 2>&1 || need+=(zbar-tools)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    say "installing ${need[*]}"
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
      || say "could not install ${need[*]}"
  else
    say "missing Debian packages: ${need[*]} — install them with: sudo apt-get install --no-install-recommends ${need[*]}"
  fi
fi

# PostgreSQL
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    say "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start >/dev/null 2>&1 || true
    for _ in $(seq 1 20); do pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null && break; sleep 0.5; done
  fi
fi
# Redis
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if command -v redis-server >/dev/null 2>&1; then
    say "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null 2>&1 || true
    for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.3; done
  fi
fi

if [ -z "${DATABASE_URL:-}" ] && pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/jianfu"
  say "PostgreSQL answers: tests run on it"
elif [ -z "${DATABASE_URL:-}" ]; then
  say "PostgreSQL does not answer: tests run on SQLite; PostgreSQL-only tests are skipped"
fi
if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  export JIANFU_TEST_REDIS_URL="${JIANFU_TEST_REDIS_URL:-redis://127.0.0.1:6379/15}"
  say "Redis answers: broker and worker tests run against it"
else
  say "Redis does not answer: Redis and worker tests are skipped"
fi

export PYTHONDONTWRITEBYTECODE=1
"$PY" -m pytest -n 2 --dist loadfile -p no:randomly -rs "$@"
status=$?
if [ $status -eq 5 ]; then say "no tests ran"; exit 1; fi
exit $status
