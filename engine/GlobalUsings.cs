global using JintEngine = Jint.Engine;
global using Jint;
