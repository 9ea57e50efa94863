#!/usr/bin/env bash
# Installs digits under a prefix (default ~/.local):
#   PREFIX/bin/digits, and digits-train, digits-evaluate, digits-classify… as links to it
#   PREFIX/share/digits/default.safetensors      the shipped model, which an installed binary finds by itself
#   PREFIX/share/man/man1/digits*.1               man pages (swift-argument-parser's generate-manual)
#   PREFIX/share/bash-completion/completions/digits, PREFIX/share/zsh/site-functions/_digits,
#   PREFIX/share/fish/vendor_completions.d/digits.fish
#
# Usage: bash tools/install.sh [--prefix DIR] [--bin-path DIR] [--no-man]
#   --bin-path DIR  install the executables already built in DIR instead of building them
#                   (default: a release build with the Swift runtime linked in statically, so the
#                   installed files need no Swift toolchain; see README "Install")
#   --no-man        skip the man pages (they need a second small build of the generator)
# Re-running replaces the installed files; nothing outside PREFIX is written.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix="${HOME}/.local"
bin_path=""
man=1
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) prefix="${2:?--prefix needs a folder}"; shift 2 ;;
        --prefix=*) prefix="${1#--prefix=}"; shift ;;
        --bin-path) bin_path="${2:?--bin-path needs a folder}"; shift 2 ;;
        --bin-path=*) bin_path="${1#--bin-path=}"; shift ;;
        --no-man) man=0; shift ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown argument $1 (see --help)" >&2; exit 64 ;;
    esac
done
case "$prefix" in /*) ;; *) prefix="$(pwd)/$prefix" ;; esac

bash tools/install-system-packages.sh
if [ -z "$bin_path" ]; then
    echo "install.sh: building the release executables (static Swift runtime)…" >&2
    # (The static Foundation's linker warning about mktemp is Foundation's own, and harmless here.)
    swift build -c release --static-swift-stdlib --scratch-path .build-static 2>&1 | grep -v "the use of .mktemp"
    bin_path="$(swift build -c release --static-swift-stdlib --scratch-path .build-static --show-bin-path)"
fi
[ -x "$bin_path/digits" ] || { echo "install.sh: $bin_path/digits: no such executable" >&2; exit 1; }
[ -f models/default.safetensors ] || { echo "install.sh: models/default.safetensors is missing" >&2; exit 1; }

# Stage everything first, then move it into place file by file (each `mv` is a rename on one file system).
mkdir -p "$prefix"
staging="$(mktemp -d "$prefix/.digits-install.XXXXXX")"
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/bin" "$staging/share/digits" "$staging/share/man/man1" \
    "$staging/share/bash-completion/completions" "$staging/share/zsh/site-functions" \
    "$staging/share/fish/vendor_completions.d"

# One executable carries the statically linked Swift runtime (about 60 MB); digits-train,
# digits-evaluate, digits-classify… are links to it, and it runs the command its name says
# (DigitsCommand.mainDispatchingOnName). A built digits-NAME that is not a subcommand of digits is
# copied as it is.
install -m 0755 "$bin_path/digits" "$staging/bin/digits"
subcommands="$("$bin_path/digits" --help | awk '/^SUBCOMMANDS:/ {on = 1; next} on && NF {print $1}')"
commands=(digits)
for executable in "$bin_path"/digits-*; do
    name="$(basename "$executable")"
    case "$name" in digits-benchmark|*.*) continue ;; esac
    [ -f "$executable" ] && [ -x "$executable" ] || continue
    if printf '%s\n' $subcommands | grep -qx "${name#digits-}"; then
        ln -s digits "$staging/bin/$name"
    else
        install -m 0755 "$executable" "$staging/bin/$name"
    fi
    commands+=("$name")
done
install -m 0644 models/default.safetensors "$staging/share/digits/default.safetensors"

# Completion scripts come from the binary itself (swift-argument-parser).
"$staging/bin/digits" --generate-completion-script bash > "$staging/share/bash-completion/completions/digits"
"$staging/bin/digits" --generate-completion-script zsh > "$staging/share/zsh/site-functions/_digits"
"$staging/bin/digits" --generate-completion-script fish > "$staging/share/fish/vendor_completions.d/digits.fish"

if [ "$man" = 1 ]; then
    # The generator is swift-argument-parser's own tool, built from the checkout SwiftPM already resolved.
    generator_package="$(ls -d .build*/checkouts/swift-argument-parser 2>/dev/null | head -1)"
    if [ -z "$generator_package" ]; then
        swift package resolve >/dev/null
        generator_package=".build/checkouts/swift-argument-parser"
    fi
    swift build -c release --package-path "$generator_package" --scratch-path .build-manual --product generate-manual >&2
    generator="$(swift build -c release --package-path "$generator_package" --scratch-path .build-manual --show-bin-path)/generate-manual"
    # One page per command from digits itself: digits.1, digits.classify.1… renamed digits-classify.1
    # (the installed executables' names); the generated pages of the help command are left out.
    pages="$staging/manual"
    mkdir -p "$pages"
    "$generator" "$staging/bin/digits" --multi-page --output-directory "$pages" >/dev/null
    for page in "$pages"/digits*.1; do
        name="$(basename "$page" .1)"
        case "$name" in *help) continue ;; esac
        sed 's/^\.Dt DIGITS\./.Dt DIGITS-/' "$page" > "$staging/share/man/man1/${name//./-}.1"
    done
    rm -rf "$pages"
fi

while IFS= read -r -d '' file; do
    relative="${file#"$staging"/}"
    mkdir -p "$prefix/$(dirname "$relative")"
    mv -fT "$file" "$prefix/$relative"
done < <(find "$staging" \( -type f -o -type l \) -print0)

echo "installed ${commands[*]} into $prefix/bin, the model into $prefix/share/digits"
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "note: $prefix/bin is not on your PATH" ;; esac
