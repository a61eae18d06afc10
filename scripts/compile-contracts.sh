#!/usr/bin/env bash
# Compiles contracts/*.sol (BatchInbox, Guestbook) with the npm solc (tools/node_modules) into the committed
# artifacts contracts/<Name>.json. Tests recompile with the same flags and compare.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for name in BatchInbox Guestbook; do
  tools/node_modules/.bin/solcjs --optimize --optimize-runs 200 --bin --abi -o "$out" "contracts/$name.sol"
  node -e '
const fs = require("fs");
const [dir, version, name] = [process.argv[1], process.argv[2], process.argv[3]];
const artifact = {
  contractName: name,
  compiler: "solc " + version + " --optimize --optimize-runs 200",
  abi: JSON.parse(fs.readFileSync(dir + "/contracts_" + name + "_sol_" + name + ".abi", "utf8")),
  bytecode: "0x" + fs.readFileSync(dir + "/contracts_" + name + "_sol_" + name + ".bin", "utf8").trim()
};
fs.writeFileSync("contracts/" + name + ".json", JSON.stringify(artifact, null, 2) + "\n");
' "$out" "$(tools/node_modules/.bin/solcjs --version)" "$name"
  echo "wrote contracts/$name.json"
done
