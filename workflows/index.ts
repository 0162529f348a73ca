// Every workflow the worker registers is exported from here.
export {};
