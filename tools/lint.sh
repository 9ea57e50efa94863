#!/usr/bin/env bash
# Style check: swift-format (part of the Swift toolchain) with the project's .swift-format, in lint
# mode; any finding fails (CI runs this before the tests). `swift format format -i -r Sources Tests
# tools/benchmark tools/fuzz Package.swift` rewrites the files to match.
set -euo pipefail
cd "$(dirname "$0")/.."
swift format lint --strict --recursive Sources Tests tools/benchmark tools/fuzz Package.swift
echo "lint: swift-format found nothing to change"
