# Interceptor: keyword interception sidecar.
#   docker build -t interceptor:0.1.0 .
#   docker run -p 8080:8080 -v interceptor-data:/data interceptor:0.1.0

# --- build: install the project and its dependencies into a virtual environment --------
# The full image has a C compiler for the views extension (interceptor/normalize/_views.c);
# the venv it builds runs on the slim image below (same Debian, same /usr/local Python).
FROM python:3.11-bookworm AS build
WORKDIR /src
COPY pyproject.toml setup.py README.md LICENSE ./
COPY interceptor ./interceptor
COPY lexicons/default ./lexicons/default
COPY deploy/install.sh ./deploy/install.sh
RUN sh deploy/install.sh /src /opt/interceptor

# --- runtime: the venv, the bundled lexicon, tini for signals, a non-root user ----------
FROM python:3.11-slim-bookworm
ARG TINI_VERSION=0.19.0-1
RUN apt-get update \
    && apt-get install --no-install-recommends -y "tini=${TINI_VERSION}" \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin interceptor \
    && mkdir -p /data \
    && chown interceptor /data
COPY --from=build /opt/interceptor /opt/interceptor
COPY --from=build /src/lexicons/default /etc/interceptor/lexicon
ENV PATH=/opt/interceptor/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    INTERCEPTOR_LEXICON=/etc/interceptor/lexicon \
    INTERCEPTOR_DB=sqlite:////data/audit.db \
    INTERCEPTOR_HOST=0.0.0.0 \
    INTERCEPTOR_PORT=8080
USER 10001
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=2).status != 200)"]
# tini forwards SIGTERM, so uvicorn shuts down gracefully and the audit queue drains
ENTRYPOINT ["tini", "--", "interceptor", "serve"]
