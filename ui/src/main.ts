// Entry point: mounts the window's one view into index.html.
import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";

// For the window bench: when the bundle began to run (page start → here is loading it).
performance.mark("sellerdesk:bundle-run");

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");
export default mount(App, { target });
