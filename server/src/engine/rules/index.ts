// Every rule the engine runs, in catalogue order. A test checks each id has its page in docs/rules/.
import { imds001 } from "./imds001-tokens-optional";
import { imds002 } from "./imds002-tokens-unset";
import { imds003 } from "./imds003-container-hop-limit";
import { imds009 } from "./imds009-hop-limit-excessive";
import type { Rule } from "./support";

export const RULES: readonly Rule[] = [imds001, imds002, imds003, imds009];
