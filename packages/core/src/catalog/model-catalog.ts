import { anthropicModels } from "./data/anthropic";
import { azureOpenaiModels } from "./data/azure-openai";
import { bedrockModels } from "./data/bedrock";
import { deepseekModels } from "./data/deepseek";
import { fireworksModels } from "./data/fireworks";
import { geminiModels } from "./data/gemini";
import { groqModels } from "./data/groq";
import { mistralModels } from "./data/mistral";
import { openaiModels } from "./data/openai";
import { togetherModels } from "./data/together";
import { vertexModels } from "./data/vertex";
import { xaiModels } from "./data/xai";
import type { ModelEntry } from "./schema";

/** Built-in list prices. Data, checked by the compiler here and by modelEntrySchema in tests. */
export const modelCatalog: readonly ModelEntry[] = [
  ...openaiModels,
  ...azureOpenaiModels,
  ...anthropicModels,
  ...bedrockModels,
  ...geminiModels,
  ...vertexModels,
  ...mistralModels,
  ...groqModels,
  ...deepseekModels,
  ...xaiModels,
  ...togetherModels,
  ...fireworksModels,
];
