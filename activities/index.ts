// Activities are built from injected clients by createActivities(deps); see the Kubernetes and GitHub issues.
export {};
