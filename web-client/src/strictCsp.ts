// Imported first by each page entry, so it runs before any module builds a zod schema.
import { useJitlessZod } from '@huddle/shared/util';

useJitlessZod();
