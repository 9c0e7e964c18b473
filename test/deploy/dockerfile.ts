import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@switchboard/core';

/**
 * The Dockerfile read as data, for the deployment checks (no Docker daemon runs here): the final
 * stage's base image, user, environment, volumes, the packages it installs, and which paths its
 * RUN lines make owned by the user.
 */
export interface Instruction {
  keyword: string;
  args: string;
}

export interface DockerStage {
  from: string;
  name: string | null;
  instructions: Instruction[];
}

export function readDockerfile(file = path.join(REPO_ROOT, 'Dockerfile')): DockerStage[] {
  const text = fs.readFileSync(file, 'utf8');
  // Continuation lines join; comments (whole lines) drop.
  const logical = text
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const stages: DockerStage[] = [];
  for (const line of logical) {
    const match = /^([A-Z]+)\s+(.*)$/.exec(line);
    if (!match) throw new Error(`Dockerfile: cannot read "${line}"`);
    const [, keyword, args] = match as unknown as [string, string, string];
    if (keyword === 'FROM') {
      const [from, as, name] = args.split(/\s+/);
      stages.push({ from: from!, name: as?.toUpperCase() === 'AS' ? name! : null, instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error('Dockerfile: an instruction before FROM');
      stage.instructions.push({ keyword, args });
    }
  }
  return stages;
}

export interface RuntimeImage {
  base: string;
  nodeMajor: number;
  user: string;
  env: Record<string, string>;
  volumes: string[];
  aptPackages: string[];
  /** Paths a RUN line creates or chowns for `user` (install -d -o, chown -R). */
  ownedByUser: string[];
  runs: string[];
  instructions: Instruction[];
}

export function runtimeImage(stages = readDockerfile()): RuntimeImage {
  const stage = stages.at(-1)!;
  const nodeMajor = Number(/^node:(\d+)/.exec(stage.from)?.[1]);
  let user = 'root';
  const env: Record<string, string> = {};
  const volumes: string[] = [];
  const aptPackages: string[] = [];
  const ownedByUser: string[] = [];
  const runs: string[] = [];
  const owners: { owner: string; paths: string[] }[] = [];
  for (const { keyword, args } of stage.instructions) {
    if (keyword === 'USER') user = args.split(':')[0]!;
    if (keyword === 'ENV') {
      for (const match of args.matchAll(/([A-Z_][A-Z0-9_]*)=("[^"]*"|\S+)/g))
        env[match[1]!] = match[2]!.replace(/^"|"$/g, '');
    }
    if (keyword === 'VOLUME') {
      const list = args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/);
      volumes.push(...list);
    }
    if (keyword === 'RUN') {
      runs.push(args);
      for (const command of args.split(/&&|;/).map((part) => part.trim())) {
        const apt = /^apt-get install (.*)$/.exec(command);
        if (apt) aptPackages.push(...apt[1]!.split(/\s+/).filter((word) => !word.startsWith('-')));
        const install = /^install (.*)$/.exec(command);
        if (install && /(^|\s)-d(\s|$)/.test(install[1]!)) {
          const words = install[1]!.split(/\s+/);
          const owner = words[words.indexOf('-o') + 1] ?? 'root';
          owners.push({ owner, paths: words.filter((word) => word.startsWith('/')) });
        }
        const chown = /^chown (?:-R )?(\S+) (.*)$/.exec(command);
        if (chown) owners.push({ owner: chown[1]!.split(':')[0]!, paths: chown[2]!.split(/\s+/) });
      }
    }
  }
  for (const entry of owners) if (entry.owner === user) ownedByUser.push(...entry.paths);
  return {
    base: stage.from,
    nodeMajor,
    user,
    env,
    volumes,
    aptPackages,
    ownedByUser,
    runs,
    instructions: stage.instructions,
  };
}
