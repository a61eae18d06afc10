#!/usr/bin/env bash
# Placeholder until the test tooling lands: builds and runs every test project.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build Sequencer.sln -c Release
