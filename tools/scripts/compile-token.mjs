// Prints TestToken.sol compiled by solc as one JSON line {abi, bytecode}, for the tests that drive cast and Nethereum.
// Usage: node compile-token.mjs <TestToken.sol>
import { compileToken, printResult } from './lib/clients.mjs';

printResult(compileToken(process.argv[2]));
