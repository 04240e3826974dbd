// The engines the page runs in a Worker, by name (engine-client.js, engine-worker.js).
import { createFitEngine } from "./fit-engine.js";
import { createSubscriptionEngine } from "./subscription-engine.js";
import { createScenarioEngine } from "./scenario-engine.js";

export const ENGINES = { fit: createFitEngine, subscriptions: createSubscriptionEngine, scenarios: createScenarioEngine };
