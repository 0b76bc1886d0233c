"""Plomberie partagée par les modules du cours (privée au paquet).

Ce qui sert à plusieurs concepts a ici une seule maison : vérification des arguments, lecture des
dates (jour d'abord), identifiants, vues « une ligne par client ». Les noms des modules de ``_core``
sont publics pour le reste de ``coursehelpers`` ; ``_core`` lui-même ne l'est pas pour l'utilisateur.
"""
