// @rollup-sequencer/client: viem actions for the rollup sequencer. See README.md.
export { sendSponsoredTransaction, getSoftConfirmation, sequencerActions } from './actions.js';
export { verifySoftConfirmation } from './verify.js';
export { SponsoredLimitError, SponsorshipRefusedError } from './errors.js';
export {
  parseSoftConfirmation,
  parseSponsoredConfirmation,
  softConfirmationDomain,
  softConfirmationTypes,
  zeroAccumulator,
} from './softConfirmation.js';
