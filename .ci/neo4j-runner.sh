#!/usr/bin/env bash
# Build the Neo4j 5.26 test-server runner (tools/neo4j-runner) with Maven.
#
# Idempotent and quiet: does nothing when the compiled class and the copied jars are newer than
# pom.xml and the Java source; otherwise compiles and copies the runtime jars to target/lib.
# Jars are cached in ~/.m2 (or wherever MAVEN_OPTS/-Dmaven.repo.local points).
# On failure prints the tail of the Maven log and exits non-zero.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNNER="$ROOT/tools/neo4j-runner"
TARGET="$RUNNER/target"
STAMP="$TARGET/.built"
SOURCES=("$RUNNER/pom.xml" "$RUNNER/src/main/java/Neo4jTestServer.java")

up_to_date() {
    [[ -f "$STAMP" && -f "$TARGET/classes/Neo4jTestServer.class" && -d "$TARGET/lib" ]] || return 1
    local src
    for src in "${SOURCES[@]}"; do
        [[ "$src" -nt "$STAMP" ]] && return 1
    done
    return 0
}

if up_to_date; then
    exit 0
fi

# A machine without Maven or a JDK gets them from Debian's packages (when we may install).
if ! command -v mvn >/dev/null || ! command -v javac >/dev/null; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            maven openjdk-17-jdk-headless; } >/dev/null 2>&1 \
            || { echo "neo4j-runner: could not install maven and a JDK with apt-get" >&2; exit 1; }
    else
        echo "neo4j-runner: needs mvn and a JDK 17+ (e.g. apt-get install maven openjdk-17-jdk-headless)" >&2
        exit 1
    fi
fi

mkdir -p "$TARGET"
# One build at a time (test sessions may start in parallel); the first builds, the others wait.
exec 9>"$TARGET/.lock"
flock 9
if up_to_date; then
    exit 0
fi
LOG="$TARGET/build.log"
rm -rf "$TARGET/lib" "$STAMP"
if ! mvn -B -q -f "$RUNNER/pom.xml" compile dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$TARGET/lib" >"$LOG" 2>&1; then
    echo "neo4j-runner: Maven build failed; last lines of $LOG:" >&2
    tail -n 40 "$LOG" >&2
    exit 1
fi
touch "$STAMP"
