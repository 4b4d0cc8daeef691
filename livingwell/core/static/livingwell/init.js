// Starts the NHS.UK frontend components. Pages work without this; it only enhances them.
import { initAll } from "../nhsuk/nhsuk-frontend.min.js";

initAll();
