-module(au_records).
-export([start/0]).

-record(address, {street = "", city = "Springfield", zip}).
-record(person, {name, age = 0, email, address = #address{}, tags = []}).
-record(company, {name, staff = [] :: [#person{}], hq :: #address{} | undefined}).

start() ->
    A = #address{street = "Main St 1", zip = 12345},
    P1 = #person{name = "Ann", age = 31, email = <<"ann@x.org">>, address = A, tags = [admin]},
    P2 = #person{name = "Bob", age = 25},
    C = #company{name = acme, staff = [P1, P2], hq = A},
    io:format("~p~n", [P1]),
    io:format("~w~n", [P2]),
    io:format("~p~n", [C]),
    io:format("~p~n", [record_info(fields, person)]),
    io:format("~p~n", [record_info(size, company)]),
    io:format("~p~n", [P1#person.address#address.city]),
    P3 = P1#person{age = P1#person.age + 1, address = (P1#person.address)#address{city = "Shelbyville"}},
    io:format("~p~n", [P3]),
    io:format("~p~n", [[N || #person{name = N, age = Ag} <- C#company.staff, Ag > 30]]),
    io:format("~p~n", [is_record(P1, person)]),
    io:format("~p~n", [is_record(A, person)]),
    io:format("~p~n", [element(1, P1)]),
    io:format("~p~n", [#person.age]),
    io:format("~p~n", [lists:keysort(#person.age, C#company.staff)]),
    io:format("~p~n", [lists:keyfind("Bob", #person.name, C#company.staff)]),
    io:format("~p~n", [catch (bad_rec())#person.name]),
    io:format("~p~n", [describe(P1)]),
    io:format("~p~n", [describe(A)]),
    io:format("~p~n", [describe({other})]),
    ok.

bad_rec() -> {not_a_person}.

describe(#person{name = N, address = #address{city = City}}) -> {person, N, City};
describe(#address{} = Ad) -> {address, Ad#address.zip};
describe(_) -> unknown.
