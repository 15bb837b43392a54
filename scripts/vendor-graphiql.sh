#!/usr/bin/env bash
# Refreshes the GraphiQL page's assets in api/static/graphiql/ from the npm packages pinned in package.json
# (react, react-dom, js-cookie, graphiql), each with its licence, so /graphql/ loads
# nothing from another host. After changing a version in package.json: npm install, then run this and commit.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules/graphiql ] || { echo "Run scripts/setup.sh dev (or npm ci) first." >&2; exit 1; }
out=api/static/graphiql
rm -rf "$out"
mkdir -p "$out"
copy() {  # copy <package> <file in the package>…: the files and the package's licence, under <package>/
    local package="$1" dest="$1"
    shift
    mkdir -p "$out/$dest"
    for file in "$@"; do cp "node_modules/$package/$file" "$out/$dest/"; done
    for licence in LICENSE LICENSE.md license; do
        [ -f "node_modules/$package/$licence" ] && cp "node_modules/$package/$licence" "$out/$dest/LICENSE"
    done
    node -e "const p=require('./node_modules/$package/package.json'); console.log(p.name + '@' + p.version)" >> "$out/VERSIONS"
}
export PATH="$PWD/.venv/bin:$PATH"
copy react umd/react.production.min.js
copy react-dom umd/react-dom.production.min.js
copy js-cookie dist/js.cookie.min.js
copy graphiql graphiql.min.js graphiql.min.css
# No source maps are vendored: drop the references to them (collectstatic's manifest storage refuses a CSS file
# that points to a missing file).
find "$out" \( -name '*.js' -o -name '*.css' \) -exec sed -i -E 's@/[*/]# sourceMappingURL=[^ *]*( ?[*]/)?@@' {} +
echo "Vendored into $out:"
cat "$out/VERSIONS"
