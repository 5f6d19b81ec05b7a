-module(records).
-export([start/0]).
-record(person, {name, age = 0, tags = []}).
start() ->
    P = #person{name = "Ann", age = 30},
    io:format("~p~n", [P]),
    P2 = P#person{age = 31, tags = [x]},
    io:format("~p ~p~n", [P2#person.age, P2#person.tags]),
    io:format("~p~n", [is_record(P2, person)]),
    #person{name = Name} = P2,
    io:format("~s~n", [Name]),
    io:format("~p~n", [[X#person.name || X <- [P, P2], X#person.age > 30]]),
    io:format("~p~n", [record_info(fields, person)]).
