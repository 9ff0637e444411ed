// The cluster scenario's primary: it forks two workers (worker.mjs), owns the one port, and
// routes each HTTP connection to a worker with @socket.io/sticky (a polling client's requests
// must reach the worker that holds its session); setupPrimary relays the cluster adapter's
// messages between the workers. Run on its own (`PORT=3000 node traces/cluster/primary.mjs`)
// it is an ordinary clustered socket.io app.
import cluster from "node:cluster";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { setupMaster } from "@socket.io/sticky";
import { setupPrimary } from "@socket.io/cluster-adapter";

// "advanced": sticky hands the first bytes of a connection over as a Buffer, which JSON would mangle.
cluster.setupPrimary({ exec: fileURLToPath(new URL("./worker.mjs", import.meta.url)), serialization: "advanced" });
for (let i = 0; i < 2; i++) cluster.fork();

const httpServer = createServer();
setupMaster(httpServer, { loadBalancingMethod: "least-connection" });
setupPrimary();
httpServer.listen(Number(process.env.PORT ?? 3000), process.env.HOST ?? "127.0.0.1");
