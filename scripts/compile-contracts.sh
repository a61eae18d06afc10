#!/usr/bin/env bash
# Compiles contracts/BatchInbox.sol with the npm solc (tools/node_modules) into the committed
# artifact contracts/BatchInbox.json. Tests recompile with the same flags and compare.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
tools/node_modules/.bin/solcjs --optimize --optimize-runs 200 --bin --abi -o "$out" contracts/BatchInbox.sol
node -e '
const fs = require("fs");
const [dir, version] = [process.argv[1], process.argv[2]];
const artifact = {
  contractName: "BatchInbox",
  compiler: "solc " + version + " --optimize --optimize-runs 200",
  abi: JSON.parse(fs.readFileSync(dir + "/contracts_BatchInbox_sol_BatchInbox.abi", "utf8")),
  bytecode: "0x" + fs.readFileSync(dir + "/contracts_BatchInbox_sol_BatchInbox.bin", "utf8").trim()
};
fs.writeFileSync("contracts/BatchInbox.json", JSON.stringify(artifact, null, 2) + "\n");
' "$out" "$(tools/node_modules/.bin/solcjs --version)"
echo "wrote contracts/BatchInbox.json"
