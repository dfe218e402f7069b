# Kawal Bansos as a container: the wheel (migrations and catalogs inside) installed in a slim image, run as a
# non-root user. Data lives in /data (SQLite file when no PostgreSQL is given, and the media folder).
# Build: docker build -t kawal-bansos .   Run: see compose.yaml and the README's "Deploying on a server".

FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml setup.py README.md alembic.ini ./
COPY app ./app
COPY bot ./bot
COPY conversations ./conversations
COPY alembic ./alembic
COPY locales ./locales
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    KAWAL_ENV=production \
    KAWAL_DATABASE_URL=sqlite:////data/kawal.db \
    KAWAL_MEDIA_DIR=/data/media \
    FORWARDED_ALLOW_IPS=*
RUN useradd --system --create-home --home-dir /home/kawal --uid 10001 kawal \
    && mkdir -p /data/media && chown -R kawal:kawal /data
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
USER kawal
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=4)"
# migrations first (a no-op when up to date), then the web app with its workers in one process
CMD ["sh", "-c", "kawal db upgrade && exec kawal serve --host 0.0.0.0 --port 8000"]
