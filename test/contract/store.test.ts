import { dialects } from '../support/databases.js';
import { storeContract } from './store.contract.js';

for (const { name, skip } of await dialects()) storeContract(name, skip);
