// The schemas use zod's small build (`zod/mini`): the same checks and issues as the full build at
// a fraction of its start-up cost (the full build is over half a megabyte of code that every
// command would load). The small build carries no messages of its own; this switches on the
// English ones the full build uses, so problems read the same. Imported for its effect by every
// module that declares a schema.
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
