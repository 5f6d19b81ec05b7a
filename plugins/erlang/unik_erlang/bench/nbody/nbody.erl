-module(nbody).
-export([start/0]).
%% unik compare's nbody (core/compare/spec.py): the benchmarks game's n-body,
%% n steps (default 1,000,000) of dt 0.01, energy before and after. Every
%% expression keeps the reference's order of floating-point operations (the
%% 9th decimal depends on it). A body is {X, Y, Z, VX, VY, VZ, Mass}.
-define(PI, 3.141592653589793).
-define(SOLAR_MASS, (4 * ?PI * ?PI)).
-define(DAYS, 365.24).
-define(DT, 0.01).

start() ->
    N = case init:get_plain_arguments() of [A | _] -> list_to_integer(A); [] -> 1000000 end,
    T0 = erlang:monotonic_time(nanosecond),
    Bodies = offset_momentum([{X, Y, Z, VX * ?DAYS, VY * ?DAYS, VZ * ?DAYS, M * ?SOLAR_MASS}
                              || {X, Y, Z, VX, VY, VZ, M} <- bodies()]),
    Before = energy(Bodies),
    After = energy(steps(N, Bodies)),
    T1 = erlang:monotonic_time(nanosecond),
    io:format("~.9f~n~.9f~ncompute_ns ~w~n", [Before, After, T1 - T0]).

bodies() ->
    [{0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0},
     {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
      1.66007664274403694e-03, 7.69901118419740425e-03, -6.90460016972063023e-05,
      9.54791938424326609e-04},
     {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
      -2.76742510726862411e-03, 4.99852801234917238e-03, 2.30417297573763929e-05,
      2.85885980666130812e-04},
     {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
      2.96460137564761618e-03, 2.37847173959480950e-03, -2.96589568540237556e-05,
      4.36624404335156298e-05},
     {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
      2.68067772490389322e-03, 1.62824170038242295e-03, -9.51592254519715870e-05,
      5.15138902046611451e-05}].

%% The sun's velocity cancels the total momentum (summed over every body, the
%% sun included, in order).
offset_momentum([{X, Y, Z, _, _, _, M} | Planets] = Bodies) ->
    {PX, PY, PZ} = lists:foldl(fun({_, _, _, VX, VY, VZ, Mi}, {PX, PY, PZ}) ->
                                       {PX + VX * Mi, PY + VY * Mi, PZ + VZ * Mi}
                               end, {0.0, 0.0, 0.0}, Bodies),
    [{X, Y, Z, -PX / ?SOLAR_MASS, -PY / ?SOLAR_MASS, -PZ / ?SOLAR_MASS, M} | Planets].

energy(Bodies) -> energy(Bodies, 0.0).
energy([], E) -> E;
energy([{_, _, _, VX, VY, VZ, M} = B | Rest], E) ->
    E1 = E + 0.5 * M * (VX * VX + VY * VY + VZ * VZ),
    energy(Rest, potential(B, Rest, E1)).

potential(_, [], E) -> E;
potential({X, Y, Z, _, _, _, M} = B, [{X2, Y2, Z2, _, _, _, M2} | Rest], E) ->
    DX = X - X2, DY = Y - Y2, DZ = Z - Z2,
    potential(B, Rest, E - (M * M2) / math:sqrt(DX * DX + DY * DY + DZ * DZ)).

steps(0, Bodies) -> Bodies;
steps(N, Bodies) -> steps(N - 1, [move(B) || B <- pairs(Bodies)]).

%% Each body against every later one: its velocity and theirs change.
pairs([]) -> [];
pairs([B | Rest]) ->
    {B1, Rest1} = pull(B, Rest, []),
    [B1 | pairs(Rest1)].

pull(B, [], Done) -> {B, lists:reverse(Done)};
pull({X, Y, Z, VX, VY, VZ, M}, [{X2, Y2, Z2, VX2, VY2, VZ2, M2} | Rest], Done) ->
    DX = X - X2, DY = Y - Y2, DZ = Z - Z2,
    D2 = DX * DX + DY * DY + DZ * DZ,
    Mag = ?DT / (D2 * math:sqrt(D2)),
    pull({X, Y, Z, VX - DX * M2 * Mag, VY - DY * M2 * Mag, VZ - DZ * M2 * Mag, M}, Rest,
         [{X2, Y2, Z2, VX2 + DX * M * Mag, VY2 + DY * M * Mag, VZ2 + DZ * M * Mag, M2}
          | Done]).

move({X, Y, Z, VX, VY, VZ, M}) ->
    {X + ?DT * VX, Y + ?DT * VY, Z + ?DT * VZ, VX, VY, VZ, M}.
